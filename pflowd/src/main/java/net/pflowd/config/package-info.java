/**
 * The configuration of pflow interfaces, apart from the socket that carries it and the daemon that applies it:
 * what an interface is ({@link net.pflowd.config.InterfaceConfig}, {@link net.pflowd.config.FlowEndpoint}),
 * OpenBSD's ifconfig grammar and what each keyword does ({@link net.pflowd.config.IfconfigCommand}), the boot
 * configuration file ({@link net.pflowd.config.ConfigFile}), every bound and default in one table
 * ({@link net.pflowd.config.Limits}, the MTU bounds taken from the wire formats), and the one error type
 * ({@link net.pflowd.config.ConfigException}: a reason, the subject, the values at fault, the errno when the
 * kernel refused).
 *
 * <p>Pure but for the configuration file's loader, which reads that one file. Nothing here prints: the control
 * server, the ifconfig client and the daemon's start-up turn a {@code ConfigException} into the user's line.
 * Following {@code mtu}: parsed and bounded here (grammar, {@link net.pflowd.config.Limits}), checked against the
 * version's minimum once ({@link net.pflowd.config.Limits#requireMtuFits}), then handed to export's settings.
 */
package net.pflowd.config;
