package net.pflowd.control;

import java.nio.file.Path;
import java.util.Map;

/** Where the control socket lives; one rule for the daemon and the ifconfig client. */
public final class ControlSocket {
    public static final Path DEFAULT_PATH = Path.of("/run/pflowd.sock");
    public static final String ENV = "PFLOWD_SOCKET";

    private ControlSocket() {
    }

    /**
     * The socket path: {@code --socket PATH} when given, else {@code $PFLOWD_SOCKET} when set and not empty,
     * else {@code /run/pflowd.sock}.
     */
    public static Path resolve(String option, Map<String, String> env) {
        if (option != null && !option.isEmpty()) {
            return Path.of(option);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        return DEFAULT_PATH;
    }

    /** {@link #resolve(String, Map)} with the process environment. */
    public static Path resolve(String option) {
        return resolve(option, System.getenv());
    }
}
