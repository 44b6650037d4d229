package net.pflowd.control;

import net.pflowd.config.ConfigException;
import net.pflowd.config.IfconfigCommand;

import java.util.List;

/**
 * The daemon side of the control socket: owns the pflow interfaces (TUN devices and exporters).
 *
 * <p>Contract for implementations:
 * <ul>
 * <li>Thread safe; the control server may call from several client threads.</li>
 * <li>{@link #apply} computes the new configuration with {@link IfconfigCommand#applyTo} (one meaning of every
 * keyword), then makes it real and persists it (e.g. {@link StateStore#save}). On any failure it throws a
 * {@link ConfigException} saying why (its reason, the interface, the errno when the kernel refused) and leaves
 * both the running interfaces and the state unchanged; the control server turns it into ifconfig's line, e.g.
 * {@code ifconfig: pflow3: no such interface}.</li>
 * </ul>
 */
public interface InterfaceManager {

    /** All pflow interfaces, ordered by unit number. */
    List<InterfaceStatus> list();

    /** @throws ConfigException {@code NO_SUCH_INTERFACE} */
    InterfaceStatus status(String name) throws ConfigException;

    /**
     * Creates, modifies or destroys the interface {@code cmd.name()}.
     *
     * @return the status after the change; null after {@code destroy}
     * @throws ConfigException why; nothing was changed
     */
    InterfaceStatus apply(IfconfigCommand cmd) throws ConfigException;
}
