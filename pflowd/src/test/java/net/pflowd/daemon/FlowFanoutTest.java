package net.pflowd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import org.junit.jupiter.api.Test;

class FlowFanoutTest {
    @Test
    void everyRecordToEveryInterfaceAddedAndNotRemoved() {
        List<String> seen = new ArrayList<>();
        FlowSink a = r -> seen.add("a" + r.srcPort), b = r -> seen.add("b" + r.srcPort), c = r -> seen.add("c" + r.srcPort);
        FlowFanout fanout = new FlowFanout();
        fanout.accept(new FlowRecord()); // no interface yet: nothing, no error
        fanout.add(a);
        fanout.add(b);
        fanout.add(c);
        FlowRecord r = new FlowRecord();
        r.srcPort = 1;
        fanout.accept(r);
        fanout.remove(b);
        fanout.remove(b); // twice: nothing more happens
        r.srcPort = 2;
        fanout.accept(r);
        fanout.remove(a);
        fanout.remove(c);
        r.srcPort = 3;
        fanout.accept(r);
        assertThat(seen).containsExactly("a1", "b1", "c1", "a2", "c2");
    }
}
