package net.pflowd.export;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the export engine hands finished datagrams (the UDP payload: NetFlow/IPFIX message): the
 * daemon sends it to the collector and mirrors it on pflowN.
 *
 * <p>{@code payload} is valid only during the call (position 0, limit = length); the engine reuses it.
 * An {@link IOException} is counted as an output error and export continues.
 */
@FunctionalInterface
public interface DatagramSink {
    void send(ByteBuffer payload) throws IOException;
}
