package net.pflowd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.Test;

/** The watcher hears address and link changes of its own namespace, and only those. */
class LinkWatcherTest {
    @Test
    void addressAndLinkChangesOfItsNamespaceAreHeard() throws Exception {
        Semaphore changes = new Semaphore(0);
        try (NetNs ns = NetNs.create("link-watch"); NetNs other = NetNs.create("link-other")) {
            LinkWatcher w = ns.call(() -> LinkWatcher.start(changes::release));
            try {
                other.execOk("ip", "addr", "add", "10.99.0.1/32", "dev", "lo");
                assertThat(changes.tryAcquire(1, TimeUnit.SECONDS)).as("a change in another namespace").isFalse();
                ns.execOk("ip", "addr", "add", "10.99.0.1/32", "dev", "lo");
                assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).as("an IPv4 address added").isTrue();
                changes.drainPermits();
                ns.execOk("ip", "tuntap", "add", "dev", "pflow7", "mode", "tun");
                assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).as("a link added").isTrue();
                changes.drainPermits();
                ns.execOk("ip", "link", "del", "pflow7");
                assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).as("a link removed").isTrue();
            } finally {
                w.close();
            }
        }
    }
}
