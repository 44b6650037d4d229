package net.pflowd.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of every datagram; fails the next {@link #failNext} sends with an IOException. */
final class CapturingSink implements DatagramSink {
    final List<byte[]> sent = new ArrayList<>();
    int failNext;
    int failures;

    @Override
    public synchronized void send(ByteBuffer payload) throws IOException {
        if (failNext > 0) {
            failNext--;
            failures++;
            throw new IOException("sendto: Network is unreachable (test)");
        }
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        sent.add(b);
    }

    synchronized List<Datagram> decoded() {
        List<Datagram> out = new ArrayList<>();
        for (byte[] b : sent) {
            out.add(Datagram.parse(b));
        }
        return out;
    }
}
