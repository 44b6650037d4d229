package net.pflowd;

import net.pflowd.daemon.DaemonCommand;

/** {@code bin/pflowd}: the daemon, or {@code pflowd listen} (see {@link DaemonCommand}). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        net.pflowd.daemon.LogSetup.install(System.getenv());
        System.exit(DaemonCommand.run(args));
    }
}
