package net.pflowd.text;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class OneLineTest {
    @Test
    void escapesControlAndInvisibleCharacters() {
        assertThat(OneLine.of("a\nb\rc\td\u001b[2Je\u0000f\u007fg\u0085h\u202ei\u200bj"))
                .isEqualTo("a\\nb\\rc\\td\\e[2Je\\x00f\\x7fg\\u{0085}h\\u{202e}i\\u{200b}j");
        assertThat(OneLine.of("10.0.0.1 é [2001:db8::1]:2055 /var/lib/pflowd")).isEqualTo("10.0.0.1 é [2001:db8::1]:2055 /var/lib/pflowd");
    }

    @Test
    void shortensLongValues() {
        assertThat(OneLine.value("x".repeat(65))).isEqualTo("x".repeat(64) + "...");
        assertThat(OneLine.value("x".repeat(64))).isEqualTo("x".repeat(64));
        assertThat(OneLine.of(null)).isEqualTo("null");
    }

    @Property
    void anyTextBecomesOneShortPrintableLine(@ForAll @StringLength(max = 3000) String s) {
        String v = OneLine.value(s);
        assertThat(v).doesNotContain("\n", "\r", "\u001b", "\u2028", "\u2029", "\u202e");
        assertThat(v.codePoints()).noneMatch(cp -> cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0));
        // each kept character is at most an escape of 8 characters; at most 64 are kept
        assertThat(v.length()).isLessThanOrEqualTo(64 * 8 + 3);
        assertThat(OneLine.of(s).length()).isLessThanOrEqualTo(1000 * 8 + 3);
    }
}
