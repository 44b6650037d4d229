package net.pflowd.ifconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.pflowd.config.IfconfigCommand;
import net.pflowd.daemon.DaemonCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Debian package's man pages and bash completions (src/deb) against the code they describe: every option of
 * {@code pflowd --help} and of ifconfig, and every pflow keyword, is in them; and the completion functions, run
 * by bash, complete what they should. (How they render and install is DebianPackageTest's, in integration-tests.)
 */
class PackageFilesTest {
    private static final Path DEB = Path.of("src/deb");

    private static String read(String file) throws IOException {
        return Files.readString(DEB.resolve(file), StandardCharsets.UTF_8);
    }

    /** The long names (and short ones without a long form) of a picocli command. */
    private static List<String> optionNames(Object command) {
        return optionNames(new CommandLine(command).getCommandSpec());
    }

    private static List<String> optionNames(CommandLine.Model.CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            names.add(o.longestName());
        }
        return names;
    }

    @Test
    void everyDaemonOptionIsInTheManPageAndTheCompletion() throws IOException {
        String man = read("man/pflowd.8");
        String completion = read("completion/pflowd");
        List<String> options = optionNames(new DaemonCommand());
        assertThat(options).contains("--config", "--metrics", "--source", "--pfctl-all");
        for (String option : options) {
            assertThat(man).as("pflowd.8 documents %s", option).contains(option.replace("-", "\\-"));
            assertThat(completion).as("completion/pflowd offers %s", option).containsPattern("[ ']" + option + "[ \n']");
        }
    }

    @Test
    void everyPflowKeywordIsInPflow4AndTheIfconfigCompletion() throws IOException {
        String man = read("man/pflow.4");
        String completion = read("completion/pflowd-ifconfig");
        for (IfconfigCommand.Verb verb : IfconfigCommand.Verb.values()) {
            // a paragraph of its own: .TP then the keyword in bold (.B, or .BI with its argument)
            assertThat(man).as("pflow.4 documents %s", verb.keyword).containsPattern("(?m)^\\.TP\n\\.BI? "
                    + java.util.regex.Pattern.quote(verb.keyword.replace("-", "\\-")) + "( |$)");
            assertThat(completion).as("ifconfig completion offers %s", verb.keyword)
                    .containsPattern("[ ']" + verb.keyword + "[ \n']");
        }
        for (String option : optionNames(IfconfigMain.commandSpec())) {
            assertThat(completion).as("ifconfig completion offers %s", option).containsPattern("[ ']" + option + "[ \n']");
        }
    }

    /** Runs the completion function of {@code file} on {@code words} (the last one being completed). */
    private static String complete(String file, String function, String... words) throws Exception {
        StringBuilder script = new StringBuilder("source " + DEB.resolve(file) + "; COMP_WORDS=(");
        for (String w : words) {
            script.append('\'').append(w).append("' ");
        }
        script.append("); COMP_CWORD=").append(words.length - 1).append("; ").append(function)
                .append("; printf '%s\\n' \"${COMPREPLY[@]}\"");
        Process p = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    @Test
    void completionsCompleteKeywordsValuesAndOptions() throws Exception {
        assertThat(complete("completion/pflowd-ifconfig", "_pflowd_ifconfig", "ifconfig", "pflow0", "pflowp"))
                .isEqualTo("pflowproto");
        assertThat(complete("completion/pflowd-ifconfig", "_pflowd_ifconfig", "ifconfig", "pflow0", "pflowproto", ""))
                .isEqualTo("5\n9\n10");
        assertThat(complete("completion/pflowd-ifconfig", "_pflowd_ifconfig", "ifconfig", "-v", "pflow1", "-flow"))
                .isEqualTo("-flowsrc\n-flowdst");
        // Not a pflow interface: net-tools' words, none of pflow's.
        assertThat(complete("completion/pflowd-ifconfig", "_pflowd_ifconfig", "ifconfig", "lo", "pflow")).isEmpty();
        // Interface names: the system's, here from /sys/class/net (the daemon is not asked: "false" is the command).
        assertThat(complete("completion/pflowd-ifconfig", "_pflowd_ifconfig", "false", "l")).contains("lo");
        assertThat(complete("completion/pflowd", "_pflowd", "pflowd", "--so")).isEqualTo("--socket\n--socket-group\n--source");
        assertThat(complete("completion/pflowd", "_pflowd", "pflowd", "--source", "")).isEqualTo("conntrack\npfctl\nnone");
        assertThat(complete("completion/pflowd", "_pflowd", "pflowd", "listen", "--c")).isEqualTo("--count");
    }
}
