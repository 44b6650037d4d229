package net.pflowd.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The boot configuration, {@code /etc/pflowd.conf}: what OpenBSD keeps in one hostname.pflowN file per interface,
 * here one interface per line in the ifconfig grammar ({@link IfconfigCommand}), e.g.
 *
 * <pre>
 * # collector on the management network
 * pflow0 flowsrc 10.0.0.1 flowdst 10.0.0.2:2055 pflowproto 10
 * pflow1 flowdst [2001:db8::2]:4739 pflowproto 10 domain 7
 * </pre>
 *
 * <ul>
 * <li>{@code #} starts a comment to the end of the line; blank lines are ignored.</li>
 * <li>{@code create} and {@code up} are implied, as netstart does for hostname.if ({@code down} keeps it down).</li>
 * <li>Several lines for one interface merge in file order, exactly as repeated ifconfig calls would
 * ({@code pflow0 flowdst 10.0.0.2:2055} then {@code pflow0 pflowproto 10} gives both).</li>
 * <li>{@code destroy} is refused: a boot configuration only describes what exists.</li>
 * <li>{@code set NAME [VALUE]} sets a daemon option as {@code --NAME [VALUE]} on pflowd's command line would
 * (e.g. {@code set hold-timeout 10}, {@code set source pfctl}); the command line wins over the file.</li>
 * <li>The first bad line fails the whole load with {@code PATH:LINE: ifconfig: ...}; the daemon does not start
 * with a partial configuration.</li>
 * </ul>
 */
public final class ConfigFile {
    public static final Path DEFAULT_PATH = Path.of("/etc/pflowd.conf");

    /** One {@code set} line: its number in the file and the options it stands for. */
    public record Setting(int line, List<String> options) {
        public Setting {
            options = List.copyOf(options);
        }
    }

    private final List<InterfaceConfig> interfaces;
    private final List<Setting> settings;
    private final String digest;

    private ConfigFile(List<InterfaceConfig> interfaces, List<Setting> settings, String digest) {
        this.interfaces = List.copyOf(interfaces);
        this.settings = List.copyOf(settings);
        this.digest = digest;
    }

    /** Loads {@code path}; empty when the file does not exist. */
    public static Optional<ConfigFile> load(Path path) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ConfigException.unreadable(path.toString(), String.valueOf(e.getMessage()), e);
        }
        return Optional.of(parse(path.toString(), bytes));
    }

    /** Parses the file's bytes (UTF-8); {@code source} names it in error messages. */
    public static ConfigFile parse(String source, byte[] bytes) throws ConfigException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        TreeMap<Integer, InterfaceConfig> byUnit = new TreeMap<>();
        List<Setting> settings = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> argv = Arrays.asList(line.split("[ \t]+"));
            if (argv.get(0).equals("set")) {
                if (argv.size() < 2 || argv.size() > 3 || argv.get(1).startsWith("-")) {
                    throw new ConfigException(ConfigException.Reason.SET_SYNTAX, null).at(source + ":" + (i + 1));
                }
                List<String> options = new ArrayList<>();
                options.add("--" + argv.get(1));
                options.addAll(argv.subList(2, argv.size()));
                settings.add(new Setting(i + 1, options));
                continue;
            }
            try {
                IfconfigCommand cmd = IfconfigCommand.parse(argv);
                if (cmd.isDestroy()) {
                    throw new ConfigException(ConfigException.Reason.DESTROY_IN_FILE, cmd.name());
                }
                // create is implied: "pflow0" and "pflow0 create" alone both mean "pflow0 up".
                cmd = cmd.withoutCreate();
                if (cmd.isQuery()) {
                    cmd = IfconfigCommand.parse(cmd.name(), "up");
                }
                InterfaceConfig unit0 = InterfaceConfig.created(cmd.name());
                InterfaceConfig current = byUnit.getOrDefault(unit0.unit(), unit0);
                InterfaceConfig next = cmd.applyTo(Optional.of(current)).orElseThrow();
                byUnit.put(next.unit(), next);
            } catch (ConfigException e) {
                throw e.at(source + ":" + (i + 1));
            }
        }
        return new ConfigFile(new ArrayList<>(byUnit.values()), settings, sha256(bytes));
    }

    /** The interfaces, ordered by unit number. */
    public List<InterfaceConfig> interfaces() {
        return interfaces;
    }

    /** The {@code set} lines as daemon options ({@code --NAME}, then VALUE when given), in file order. */
    public List<String> options() {
        List<String> all = new ArrayList<>();
        settings.forEach(s -> all.addAll(s.options()));
        return all;
    }

    /** The {@code set} lines, each with its line number. */
    public List<Setting> settings() {
        return settings;
    }

    /** SHA-256 of the file's bytes, hex: recorded in the state file to notice an edited configuration. */
    public String digest() {
        return digest;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
