package net.pflowd.source.conntrack;

import java.io.IOException;
import net.pflowd.linux.Netlink;
import net.pflowd.os.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's reply to one dump request, as the parser reports it: its rows go into the table's dump pass, and
 * {@link #finish()} completes that pass only if the reply ended with NLMSG_DONE, without an error, an unreadable
 * row or NLM_F_DUMP_INTR. A row that could not be read may be a live entry, and a dump the kernel interrupted may
 * have skipped some: ending what such a dump did not show would invent ends.
 */
final class DumpReply implements CtnetlinkParser.Handler {
    /** Under the source's name: a dump row it could not read is the source's to report, as it always was. */
    private static final Logger LOG = LoggerFactory.getLogger(ConntrackSource.class);

    /** A dump that reached its end but could not be read whole: it ends nothing, the next one retries. */
    static final class IncompleteDumpException extends IOException {
        private static final long serialVersionUID = 1L;

        IncompleteDumpException(String message) {
            super(message);
        }
    }

    private final int seq;
    private final ConntrackTable.Dump pass;
    private boolean done;
    private int refused;
    private String incomplete;
    private long malformedRows;

    DumpReply(int seq, ConntrackTable.Dump pass) {
        this.seq = seq;
        this.pass = pass;
    }

    @Override
    public void entry(CtEntry e) {
        if ((e.nlFlags & Netlink.NLM_F_DUMP_INTR) != 0) {
            incomplete = "the table changed under the dump (NLM_F_DUMP_INTR)";
        }
        pass.row(e);
    }

    @Override
    public void done(int s) {
        done |= s == seq; // the end of an earlier, abandoned dump does not end this one
    }

    @Override
    public void error(int s, int errno) {
        if (errno != 0 && s == seq) {
            refused = errno;
            done = true;
        }
    }

    @Override
    public void malformed(String why) {
        malformedRows++;
        incomplete = "a row could not be read (" + why + ")";
        LOG.debug("malformed ctnetlink dump row: {}", why);
    }

    /** Whether the kernel has said its last word on this dump (NLMSG_DONE or an error). */
    boolean done() {
        return done;
    }

    /** Rows the parser could not read, for the source's counter. */
    long malformedRows() {
        return malformedRows;
    }

    /**
     * Completes the table's pass when the dump was read whole.
     *
     * @throws ErrnoException the kernel refused the dump (NLMSG_ERROR)
     * @throws IncompleteDumpException a row could not be read, or the kernel flagged NLM_F_DUMP_INTR
     */
    void finish() throws IOException {
        if (refused != 0) {
            throw new ErrnoException("conntrack dump", "NLMSG_ERROR", refused);
        }
        if (incomplete != null) {
            throw new IncompleteDumpException("conntrack dump incomplete: " + incomplete);
        }
        pass.complete();
    }
}
