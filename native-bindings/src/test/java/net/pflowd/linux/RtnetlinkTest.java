package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtnetlinkTest {
    @Test
    void rtmsgOffsetsMatchTheCLayout() {
        Rtnetlink.RtMsg m = new Rtnetlink.RtMsg();
        assertThat(m.size()).isEqualTo(Rtnetlink.RTMSG_SIZE);
        assertThat(m.offsetOf("rtm_family")).isEqualTo(Rtnetlink.RTM_FAMILY_OFFSET);
        assertThat(m.offsetOf("rtm_dst_len")).isEqualTo(Rtnetlink.RTM_DST_LEN_OFFSET);
        assertThat(m.offsetOf("rtm_src_len")).isEqualTo(Rtnetlink.RTM_SRC_LEN_OFFSET);
        assertThat(m.offsetOf("rtm_tos")).isEqualTo(Rtnetlink.RTM_TOS_OFFSET);
        assertThat(m.offsetOf("rtm_table")).isEqualTo(Rtnetlink.RTM_TABLE_OFFSET);
        assertThat(m.offsetOf("rtm_protocol")).isEqualTo(Rtnetlink.RTM_PROTOCOL_OFFSET);
        assertThat(m.offsetOf("rtm_scope")).isEqualTo(Rtnetlink.RTM_SCOPE_OFFSET);
        assertThat(m.offsetOf("rtm_type")).isEqualTo(Rtnetlink.RTM_TYPE_OFFSET);
        assertThat(m.offsetOf("rtm_flags")).isEqualTo(Rtnetlink.RTM_FLAGS_OFFSET);
    }

    @Test
    void rtnexthopOffsetsMatchTheCLayout() {
        Rtnetlink.RtNextHop h = new Rtnetlink.RtNextHop();
        assertThat(h.size()).isEqualTo(Rtnetlink.RTNEXTHOP_SIZE);
        assertThat(h.offsetOf("rtnh_flags")).isEqualTo(Rtnetlink.RTNH_FLAGS_OFFSET);
        assertThat(h.offsetOf("rtnh_hops")).isEqualTo(Rtnetlink.RTNH_HOPS_OFFSET);
        assertThat(h.offsetOf("rtnh_ifindex")).isEqualTo(Rtnetlink.RTNH_IFINDEX_OFFSET);
        assertThat(Rtnetlink.rtnhAlign(Rtnetlink.RTNEXTHOP_SIZE + 1)).isEqualTo(12);
    }
}
