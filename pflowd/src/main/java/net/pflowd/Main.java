package net.pflowd;

/** Entry point placeholder; the daemon's command line is built in net.pflowd.daemon. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("pflowd: not built yet");
        System.exit(1);
    }
}
