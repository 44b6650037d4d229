package net.pflowd.control;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.ConfigFile;
import net.pflowd.text.OneLine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The runtime configuration of all pflow interfaces, kept as {@code interfaces.json} in the state directory
 * (default {@code /var/lib/pflowd}) so that changes made with ifconfig survive a restart of the daemon.
 *
 * <p>Writes are atomic: a temporary file in the same directory is written and fsync'ed, renamed over the old
 * file, and the directory is fsync'ed; a crash leaves either the old or the new file, never a torn one.
 *
 * <p>A state file that cannot be read or parsed is an error ({@link ControlException} naming the file and the
 * reason): the daemon refuses to start rather than silently come up with no interfaces; the operator fixes or
 * removes the file (then the configuration file is applied again).
 *
 * <h2>How the configuration file and the state relate</h2>
 * See {@link #choose}: the state records the digest of the configuration file it started from. At start, if the
 * configuration file is unchanged since then, the state wins (runtime ifconfig changes persist across restarts);
 * if the operator edited the configuration file (or there is no state yet), the configuration file wins and the
 * state is rewritten from it. Either way the newest intent of the operator is what comes up.
 */
public final class StateStore {
    public static final String FILE_NAME = "interfaces.json";
    /** Held (fcntl lock) by the daemon using the directory; holds its pid as text. */
    public static final String LOCK_NAME = "pflowd.lock";
    /** Prefix and suffix of the temporary files {@link #save} writes before renaming. */
    private static final String TMP_PREFIX = "." + FILE_NAME + ".";
    private static final String TMP_SUFFIX = ".tmp";
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/lib/pflowd");
    static final int FORMAT = 1;

    /**
     * The persisted document. {@code configDigest}: {@link ConfigFile#digest()} it derives from, or null.
     *
     * <p>In the file, pretty-printed by Jackson's default printer: {@code format} (an integer, required),
     * {@code configDigest} (a string or null), {@code interfaces} (an array of interface configurations as the
     * control protocol writes them, {@link ControlJson#writeConfig}); read as strictly as a control request.
     */
    public record State(int format, String configDigest, List<InterfaceConfig> interfaces) {
        public State {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        }
    }

    /** Which source the startup configuration came from, and why (for the daemon's log). */
    public record Startup(List<InterfaceConfig> interfaces, String configDigest, String reason) {
    }

    private final Path directory;
    private final Path file;

    public StateStore(Path directory) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * Reads the state; empty when no state file exists.
     *
     * @throws ControlException when the file exists but cannot be read or is not a valid state
     */
    public Optional<State> load() throws ControlException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ControlException(file + ": cannot read state file: " + e, e);
        }
        State state;
        try {
            state = ControlJson.document(ControlJson.FACTORY.createParser(bytes), StateStore::readState);
        } catch (IOException | RuntimeException e) {
            throw corrupt(firstLine(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString()), e);
        }
        if (state.format() != FORMAT) {
            throw corrupt("unknown format " + state.format() + " (expected " + FORMAT + ")", null);
        }
        Set<String> names = new HashSet<>();
        for (InterfaceConfig c : state.interfaces()) {
            if (c == null) {
                throw corrupt("null interface entry", null);
            }
            if (!names.add(c.name())) {
                throw corrupt("duplicate interface " + c.name(), null);
            }
        }
        return Optional.of(state);
    }

    private static State readState(JsonParser p) throws IOException {
        ControlJson.expectObject(p);
        Integer format = null;
        String configDigest = null;
        List<InterfaceConfig> interfaces = null;
        while (ControlJson.nextField(p)) {
            switch (p.currentName()) {
                case "format" -> format = ControlJson.int32(p);
                case "configDigest" -> configDigest = ControlJson.string(p);
                case "interfaces" -> interfaces = ControlJson.list(p, ControlJson::readConfig);
                default -> throw ControlJson.unknownField(p);
            }
        }
        return new State(ControlJson.required(p, format, "format"), configDigest, interfaces);
    }

    /** The document as {@link #save} writes it: pretty-printed, as the data binding of earlier versions did. */
    static byte[] encode(State state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * state.interfaces().size());
        try (JsonGenerator g = ControlJson.FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("format", state.format());
            g.writeStringField("configDigest", state.configDigest());
            g.writeArrayFieldStart("interfaces");
            for (InterfaceConfig c : state.interfaces()) {
                ControlJson.writeConfig(g, c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private ControlException corrupt(String why, Exception cause) {
        return new ControlException(file + ": corrupt state file: " + why
                + " (fix or remove it; without it " + ConfigFile.DEFAULT_PATH.getFileName() + " is applied)", cause);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The state directory, held exclusively: released by {@link #close} or when the process ends. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the process ends soon; the kernel releases it then
            }
        }
    }

    /**
     * Takes the state directory for this process: creates it if needed and locks {@value #LOCK_NAME} in it
     * (an fcntl lock, gone with the process however it ends, so a crash never leaves the directory locked).
     * Nothing else of the directory is touched before.
     *
     * @throws ControlException one line naming the directory and the pid holding it, when another process has it
     */
    public Lock lock() throws ControlException {
        Path lockFile = directory.resolve(LOCK_NAME);
        FileChannel ch = null;
        try {
            Files.createDirectories(directory);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null; // this JVM has it already
            }
            if (held == null) {
                String pid = new String(Files.readAllBytes(lockFile), StandardCharsets.US_ASCII).strip();
                ch.close();
                throw new ControlException(OneLine.value(directory.toString())
                        + ": state directory in use by another pflowd"
                        + (pid.matches("[0-9]{1,10}") ? " (pid " + pid + ")" : ""));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new Lock(ch, held);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new ControlException(OneLine.value(directory.toString()) + ": cannot lock the state directory: "
                    + OneLine.value(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * Removes the temporary files a {@link #save} interrupted by a crash left behind; call with the
     * {@link #lock} held, so that no other daemon's save is in progress.
     *
     * @return how many were removed
     */
    public int removeLeftovers() throws IOException {
        int removed = 0;
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (var files = Files.newDirectoryStream(directory, TMP_PREFIX + "*" + TMP_SUFFIX)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Writes the state atomically (temp file, fsync, rename, fsync of the directory). */
    public void save(List<InterfaceConfig> interfaces, String configDigest) throws IOException {
        List<InterfaceConfig> sorted = new ArrayList<>(interfaces);
        sorted.sort(Comparator.comparingInt(InterfaceConfig::unit));
        byte[] bytes = encode(new State(FORMAT, configDigest, sorted));
        Files.createDirectories(directory);
        Path tmp = Files.createTempFile(directory, TMP_PREFIX, TMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(directory + ": atomic rename not supported", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true); // the rename itself is durable only once the directory is
        }
    }

    /**
     * Decides the interfaces to bring up at start.
     *
     * <ol>
     * <li>No state file: the configuration file (or nothing when there is none either).</li>
     * <li>A state file whose recorded digest equals the current configuration file's (or both absent): the state,
     * since it holds every change made with ifconfig since.</li>
     * <li>Otherwise the configuration file was edited (or added, or removed) after the state was written: the
     * configuration file, the operator's newer intent.</li>
     * </ol>
     */
    public static Startup choose(Optional<ConfigFile> config, Optional<State> state) {
        String digest = config.map(ConfigFile::digest).orElse(null);
        List<InterfaceConfig> fromConfig = config.map(ConfigFile::interfaces).orElse(List.of());
        if (state.isEmpty()) {
            return new Startup(fromConfig, digest, config.isPresent()
                    ? "no state yet: applying the configuration file"
                    : "no state and no configuration file: no interfaces");
        }
        State s = state.get();
        if (java.util.Objects.equals(s.configDigest(), digest)) {
            return new Startup(s.interfaces(), digest, "configuration file unchanged: restoring the saved state");
        }
        return new Startup(fromConfig, digest, config.isPresent()
                ? "configuration file changed since the state was saved: applying it"
                : "configuration file removed since the state was saved: no interfaces");
    }
}
