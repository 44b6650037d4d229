package net.pflowd.source.pfctl;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser on listings cut, spliced and garbled anywhere: it never throws, never invents a state that was
 * not in the text, and a listing that is only garbage yields no state (so the source takes it as a failed
 * poll, never as an empty table).
 */
class PfctlParserPropertiesTest {
    private static final String A = "all tcp 203.0.113.5:51000 (192.168.1.10:43210) -> 198.51.100.7:443       ESTABLISHED:ESTABLISHED\n"
            + "   [1000 + 64240] wscale 7  [2000 + 65535] wscale 8\n"
            + "   age 00:00:10, expires in 23:59:59, 5:4 pkts, 400:3000 bytes, rule 1, pflow\n"
            + "   id: 00000000000000a1 creatorid: 0a0b0c0d\n";
    private static final String C = "all icmp 192.168.1.10:4711 -> 192.168.1.1:8       0:0\n"
            + "   age 00:00:03, expires in 00:00:07, 3:3 pkts, 252:252 bytes, rule 1, pflow\n"
            + "   id: 00000000000000c3 creatorid: 0a0b0c0d\n";
    private static final String D = "all tcp 2001:db8::1[443] <- 2001:db8::2[50000]       ESTABLISHED:ESTABLISHED\n"
            + "   age 00:00:00, expires in 00:00:30, 1:0 pkts, 80:0 bytes, rule 2, pflow\n"
            + "   id: 00000000000000d4 creatorid: 0a0b0c0d\n";

    @Provide
    Arbitrary<String> listings() {
        Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.of(A, C, D, "STATES:\n", "--\n", "\n"),
                Arbitraries.strings().ofMaxLength(80).map(s -> s + "\n"),
                Arbitraries.strings().withChars("all tcp udp 0123456789.:[]()<>-+,\n").ofMaxLength(120));
        Arbitrary<String> joined = pieces.list().ofMaxSize(10).map(l -> String.join("", l));
        return Arbitraries.oneOf(joined, joined.flatMap(s -> Arbitraries.integers().between(0, s.length())
                .map(cut -> s.substring(0, cut))));
    }

    @Property
    void parsesAnyTextWithoutInventingStates(@ForAll("listings") String text, @ForAll boolean cut) {
        PfctlParser.Result r = PfctlParser.parse(text, cut);
        for (PfState st : r.states()) {
            // A state's identity comes from the text: its id (with -vv) or its printed endpoints.
            String id = st.key().contains("/") ? st.key().substring(0, st.key().indexOf('/')) : null;
            if (id != null && st.key().matches("[0-9a-f]+/[0-9a-f]+")) {
                assertThat(text).contains("id: " + id);
            }
        }
        assertThat(r.samples().size()).isLessThanOrEqualTo(3);
        assertThat(r.errors()).isGreaterThanOrEqualTo(0);
        // At most one state per record start (a line in column 0): nothing is made up.
        long starts = text.lines().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0))).count();
        assertThat((long) r.states().size()).isLessThanOrEqualTo(starts);
    }

    @Property(tries = 200)
    void aCompleteListingWithGarbageAroundKeepsItsStates(@ForAll("listings") String garbage) {
        String text = A + C + D;
        PfctlParser.Result clean = PfctlParser.parse(text, false);
        assertThat(clean.states()).hasSize(3);
        assertThat(clean.errors()).isZero();
        // Garbage after a complete listing never removes the states before it.
        PfctlParser.Result dirty = PfctlParser.parse(text + garbage + "\n", false);
        assertThat(dirty.states().size()).isGreaterThanOrEqualTo(2);
    }
}
