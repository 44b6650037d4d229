package net.pflowd.control;

import java.util.List;

/**
 * The daemon side of the control socket: owns the pflow interfaces (TUN devices and exporters).
 *
 * <p>Contract for implementations:
 * <ul>
 * <li>Thread safe; the control server may call from several client threads.</li>
 * <li>{@link #apply} computes the new configuration with {@link IfconfigCommand#applyTo} (one meaning of every
 * keyword), then makes it real and persists it (e.g. {@link StateStore#save}). On any failure it throws a
 * {@link ControlException} with a one-line message and leaves both the running interfaces and the state
 * unchanged.</li>
 * <li>Errors name the interface, e.g. {@code ifconfig: pflow3: no such interface}.</li>
 * </ul>
 */
public interface InterfaceManager {

    /** All pflow interfaces, ordered by unit number. */
    List<InterfaceStatus> list();

    /** @throws ControlException {@code ifconfig: pflowN: no such interface} */
    InterfaceStatus status(String name) throws ControlException;

    /**
     * Creates, modifies or destroys the interface {@code cmd.name()}.
     *
     * @return the status after the change; null after {@code destroy}
     * @throws ControlException the one-line reason; nothing was changed
     */
    InterfaceStatus apply(IfconfigCommand cmd) throws ControlException;
}
