package net.pflowd.testutil;

import static org.assertj.core.api.Assertions.assertThat;

/** What every error pflowd prints must be: one line, no terminal escapes, bounded whatever the input. */
public final class OneLineAssert {
    private OneLineAssert() {
    }

    public static void assertOneLine(String message) {
        assertThat(message).isNotNull().doesNotContain("\n", "\r", "\u001b");
        assertThat(message.length()).isLessThan(2000);
    }
}
