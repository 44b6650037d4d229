package net.pflowd.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import net.pflowd.linux.AsmSocket;
import net.pflowd.linux.Errno;
import net.pflowd.linux.In;
import net.pflowd.linux.LibC;
import net.pflowd.linux.LibCDirect;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The conntrack reader's receive calls through three libc bindings: JNA interface-mapped ({@link LibC}, throws
 * {@link LastErrorException}), JNA direct-mapped ({@link LibCDirect}, -1 and errno) and jnr-ffi ({@link LibCJnr}).
 * UDP on loopback stands in for the netlink socket (the call path is the same; only the kernel's side differs),
 * with 250-byte datagrams, about one conntrack DESTROY event. Scores are ns per datagram.
 *
 * <p>How to read them:
 * <ul>
 *   <li>{@code queued*}: each datagram is sent ({@link LibCDirect#sendto}, the same for all) and then received, one
 *   {@code recv} per datagram, or one {@code recvmmsg} per 32 ({@link OperationsPerInvocation}). The receiving
 *   socket always holds {@value #BACKLOG} older datagrams, so a receive never finds the queue empty while the
 *   kernel is still delivering, and the queue depth stays constant (it never overflows).
 *   <li>{@code fixture}: the same send into a socket kept full, where the kernel drops it: the sending part alone.
 *   Receive cost per datagram = {@code queued*} − {@code fixture}. That difference also holds the kernel's
 *   queueing and freeing of the datagram, which the dropped send skips: the same for every binding.
 *   <li>{@code empty*}: one {@code recv} on an empty non-blocking socket (EAGAIN, errno read), the call that ends
 *   every batch. Absolute: nothing to subtract.
 * </ul>
 * Between bindings, scores of the same operation compare directly. The call overhead itself shows best in
 * {@code empty*}: in {@code queued*} every datagram also pays a send of a few µs, whose noise can hide a
 * difference of a hundred ns. Every receive checks its length (and the empty ones EAGAIN) and throws otherwise,
 * and tear-down checks that no datagram was lost, so a broken binding cannot produce a fast score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RecvBindingBenchmark {
    static final int DATAGRAM = 250;
    static final int BATCH = 32;
    static final int BACKLOG = 32;
    /** Room per datagram, as the conntrack reader gives each one. */
    static final int SLOT = 8192;
    /** Datagrams sent at set-up into the fixture's socket, far more than its minimal receive buffer holds. */
    static final int SINK_FILL = 64;

    private static final LibC C = LibC.INSTANCE;
    private static final LibCJnr JNR = LibCJnr.INSTANCE;
    private static final jnr.ffi.Runtime JNR_RUNTIME = jnr.ffi.Runtime.getRuntime(JNR);

    private int tx, rx, empty, sink;
    /** Kept reachable: their native memory is the sendto destination. */
    private In.SockaddrIn rxName, sinkName;
    private long rxTo, sinkTo;

    private final ByteBuffer payload = ByteBuffer.allocateDirect(DATAGRAM);
    private final long payloadAddress = LibCDirect.address(payload);
    private final ByteBuffer one = ByteBuffer.allocateDirect(SLOT);
    private final long oneAddress = LibCDirect.address(one);
    private final Pointer onePointer = Native.getDirectBufferPointer(one);
    /** recvmmsg's vector as the conntrack reader uses it. */
    private final Socket.MmsgVector batch = new Socket.MmsgVector(BATCH, SLOT);

    @Setup
    public void setUp() {
        for (int i = 0; i < DATAGRAM; i++) {
            payload.put(i, (byte) i);
        }

        tx = C.socket(Socket.AF_INET, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
        rx = openReceiver(1 << 20); // capped at net.core.rmem_max; BACKLOG + BATCH datagrams need ~100 KB
        rxName = bindLoopback(rx);
        rxTo = Pointer.nativeValue(rxName.getPointer());
        empty = openReceiver(0); // never sent to
        bindLoopback(empty);
        sink = openReceiver(0); // the kernel's minimum: a few datagrams
        sinkName = bindLoopback(sink);
        sinkTo = Pointer.nativeValue(sinkName.getPointer());
        for (int i = 0; i < BACKLOG; i++) {
            send(rxTo);
        }
        for (int i = 0; i < SINK_FILL; i++) {
            send(sinkTo);
        }
    }

    private static int openReceiver(int rcvbuf) {
        int fd = C.socket(Socket.AF_INET, SocketType.SOCK_DGRAM | SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC, 0);
        C.setsockopt(fd, Socket.SOL_SOCKET, AsmSocket.SO_RCVBUF, new IntByReference(rcvbuf), 4);
        return fd;
    }

    /** Binds to 127.0.0.1 and an ephemeral port; returns the bound address. */
    private static In.SockaddrIn bindLoopback(int fd) {
        In.SockaddrIn sa = new In.SockaddrIn(In.INADDR_LOOPBACK, 0);
        C.bind(fd, sa, sa.size());
        C.getsockname(fd, sa, new IntByReference(sa.size()));
        return sa;
    }

    /** Drains and closes; throws if the receiving socket lost a datagram or the fixture's socket never filled. */
    @TearDown
    public void tearDown() {
        try {
            int left = drain(rx), sunk = drain(sink);
            if (left != BACKLOG) {
                throw new IllegalStateException("receiving socket holds " + left + " datagrams, expected " + BACKLOG);
            }
            if (sunk >= SINK_FILL) {
                throw new IllegalStateException("fixture's socket never filled: its sends were not dropped");
            }
        } finally {
            for (int fd : new int[] {tx, rx, empty, sink}) {
                C.close(fd);
            }
        }
    }

    private int drain(int fd) {
        int n = 0;
        while (LibCDirect.recv(fd, oneAddress, SLOT, Socket.MSG_DONTWAIT) >= 0) {
            n++;
        }
        return n;
    }

    private void send(long to) {
        if (LibCDirect.sendto(tx, payloadAddress, DATAGRAM, 0, to, 16) != DATAGRAM) {
            throw new IllegalStateException("sendto: errno " + Native.getLastError());
        }
    }

    private static long received(long n) {
        if (n != DATAGRAM) {
            throw new IllegalStateException("recv returned " + n + ", expected " + DATAGRAM);
        }
        return n;
    }

    private int receivedBatch(int n) {
        if (n != BATCH) {
            throw new IllegalStateException("recvmmsg returned " + n + ", expected " + BATCH);
        }
        for (int i = 0; i < BATCH; i++) {
            int len = batch.length(i);
            if (len != DATAGRAM) {
                throw new IllegalStateException("recvmmsg datagram " + i + " is " + len + " bytes");
            }
        }
        return n;
    }

    private static int eagain(long n, int errno) {
        if (n != -1 || errno != Errno.EAGAIN) {
            throw new IllegalStateException("recv on an empty socket returned " + n + ", errno " + errno);
        }
        return errno;
    }

    @Benchmark
    public void fixture() {
        send(sinkTo);
    }

    @Benchmark
    public long queuedJnaInterface() {
        send(rxTo);
        return received(C.recv(rx, onePointer, SLOT, Socket.MSG_DONTWAIT));
    }

    @Benchmark
    public long queuedJnaDirect() {
        send(rxTo);
        return received(LibCDirect.recv(rx, oneAddress, SLOT, Socket.MSG_DONTWAIT));
    }

    @Benchmark
    public long queuedJnr() {
        send(rxTo);
        return received(JNR.recv(rx, oneAddress, SLOT, Socket.MSG_DONTWAIT));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int queuedRecvmmsgJnaDirect() {
        for (int i = 0; i < BATCH; i++) {
            send(rxTo);
        }
        return receivedBatch(LibCDirect.recvmmsg(rx, batch.address(), batch.slots(), Socket.MSG_DONTWAIT, 0));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int queuedRecvmmsgJnr() {
        for (int i = 0; i < BATCH; i++) {
            send(rxTo);
        }
        return receivedBatch(JNR.recvmmsg(rx, batch.address(), batch.slots(), Socket.MSG_DONTWAIT, 0));
    }

    @Benchmark
    public int emptyJnaInterface() {
        try {
            return eagain(C.recv(empty, onePointer, SLOT, Socket.MSG_DONTWAIT), 0);
        } catch (LastErrorException e) {
            return eagain(-1, e.getErrorCode());
        }
    }

    @Benchmark
    public int emptyJnaDirect() {
        long n = LibCDirect.recv(empty, oneAddress, SLOT, Socket.MSG_DONTWAIT);
        return eagain(n, Native.getLastError());
    }

    @Benchmark
    public int emptyJnr() {
        long n = JNR.recv(empty, oneAddress, SLOT, Socket.MSG_DONTWAIT);
        return eagain(n, JNR_RUNTIME.getLastError());
    }
}
