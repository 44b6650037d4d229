package net.pflowd.source.pfctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the pfctl listing parser (corpus: PfctlParserFuzzTestInputs/listing, real listings
 * of OpenBSD, FreeBSD, OPNsense and macOS). Whatever the text, the parser returns: at most one state per record
 * start, every -vv identity taken from the text, at most three samples of what it did not understand, each one short printable line, and a text
 * with no state in it gives none (so the source takes it as a failed poll, never as an empty table).
 */
class PfctlParserFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void listing(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (boolean cut : new boolean[] {false, true}) {
            PfctlParser.Result r = PfctlParser.parse(text, cut);
            long starts = text.lines().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0))).count();
            assertThat((long) r.states().size()).isLessThanOrEqualTo(starts);
            for (PfState st : r.states()) {
                if (st.key().matches("[0-9a-f]+/[0-9a-f]+")) {
                    assertThat(text).contains("id: " + st.key().substring(0, st.key().indexOf('/')));
                }
            }
            assertThat(r.samples().size()).isLessThanOrEqualTo(3);
            // The samples go to the log as they are: one short line each, no control character of the listing.
            assertThat(r.samples()).allMatch(s -> s.length() <= 200 * 8 + 3
                    && s.codePoints().noneMatch(cp -> cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)));
            assertThat(r.errors()).isNotNegative();
        }
    }
}
