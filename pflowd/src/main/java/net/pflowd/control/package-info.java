/**
 * The control socket between pflowd and {@code ifconfig}, the status it shows and the persisted state. The
 * configuration model, the ifconfig grammar and the configuration file are {@link net.pflowd.config}'s; this
 * package carries them.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link net.pflowd.control.InterfaceStatus} and {@link net.pflowd.control.StatusFormat}: what ifconfig shows,
 * byte for byte as OpenBSD.</li>
 * <li>{@link net.pflowd.control.InterfaceManager}: implemented by the daemon; the boundary to TUN devices and
 * exporters.</li>
 * <li>{@link net.pflowd.control.StateStore}: {@code /var/lib/pflowd/interfaces.json}, atomic.</li>
 * <li>{@link net.pflowd.control.ControlServer} / {@link net.pflowd.control.ControlClient} /
 * {@link net.pflowd.control.ControlProtocol}: JSON lines over a Unix socket ({@link net.pflowd.control.ControlSocket}
 * resolves its path for both sides). The server is where a {@link net.pflowd.config.ConfigException} becomes the
 * line ifconfig prints; {@link net.pflowd.control.ControlException} is the client's (and the state file's) line.</li>
 * </ul>
 *
 * <h2>Configuration file and state</h2>
 * The configuration file is what the operator writes; the state file is what the daemon writes after every
 * successful change, together with the digest of the configuration file it started from. At start
 * ({@link net.pflowd.control.StateStore#choose}): no state yet, or the configuration file changed since the state
 * was written – the configuration file is applied (the operator's newest intent); otherwise the state is restored
 * (runtime {@code ifconfig} changes survive a daemon restart). A configuration file with a bad line, or a corrupt
 * state file, stops the daemon from starting with a one-line error naming the file (and line).
 *
 * <h2>Daemon start, in order</h2>
 * <pre>{@code
 * Optional<ConfigFile> conf = ConfigFile.load(confPath);             // ConfigException: refuse to start
 * StateStore store = new StateStore(stateDir);
 * StateStore.Startup boot = StateStore.choose(conf, store.load());   // ControlException: refuse to start
 * // bring up boot.interfaces(), then store.save(boot.interfaces(), boot.configDigest()); log boot.reason()
 * ControlServer ctl = new ControlServer(ControlServer.Options.defaults(ControlSocket.resolve(socketOption))
 *         .withGroup(groupOption), manager);
 * ctl.start();  ...  ctl.close();
 * }</pre>
 */
package net.pflowd.control;
