package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code <linux/netlink.h>}: the netlink protocol number of netfilter, message flags and types, socket
 * options, the layout of {@code struct nlmsghdr} and {@code struct nlattr}, and {@code struct sockaddr_nl}.
 * Netlink headers are in host byte order (little-endian on x86-64 and arm64).
 */
public final class Netlink {
    private Netlink() {
    }

    // #define NETLINK_ROUTE		0	/* Routing/device hook				*/
    public static final int NETLINK_ROUTE = 0;

    // #define NETLINK_NETFILTER	12	/* netfilter subsystem */
    public static final int NETLINK_NETFILTER = 12;

    // #define NLM_F_REQUEST		0x01	/* It is request message. 	*/
    public static final int NLM_F_REQUEST = 0x01;
    // #define NLM_F_MULTI		0x02	/* Multipart message, terminated by NLMSG_DONE */
    public static final int NLM_F_MULTI = 0x02;
    // #define NLM_F_ACK		0x04	/* Reply with ack, with zero or error code */
    public static final int NLM_F_ACK = 0x04;
    // #define NLM_F_ECHO		0x08	/* Receive resulting notifications */
    public static final int NLM_F_ECHO = 0x08;
    // #define NLM_F_DUMP_INTR		0x10	/* Dump was inconsistent due to sequence change */
    public static final int NLM_F_DUMP_INTR = 0x10;
    // #define NLM_F_ROOT	0x100	/* specify tree	root	*/
    public static final int NLM_F_ROOT = 0x100;
    // #define NLM_F_MATCH	0x200	/* return all matching	*/
    public static final int NLM_F_MATCH = 0x200;
    // #define NLM_F_DUMP	(NLM_F_ROOT|NLM_F_MATCH)
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    // #define NLMSG_NOOP		0x1	/* Nothing.		*/
    public static final int NLMSG_NOOP = 0x1;
    // #define NLMSG_ERROR		0x2	/* Error		*/
    public static final int NLMSG_ERROR = 0x2;
    // #define NLMSG_DONE		0x3	/* End of a dump	*/
    public static final int NLMSG_DONE = 0x3;
    // #define NLMSG_OVERRUN		0x4	/* Data lost		*/
    public static final int NLMSG_OVERRUN = 0x4;

    // #define NLMSG_ALIGNTO	4U
    public static final int NLMSG_ALIGNTO = 4;
    // #define NLA_ALIGNTO		4
    public static final int NLA_ALIGNTO = 4;

    // SOL_NETLINK options.
    // #define NETLINK_ADD_MEMBERSHIP		1
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    // #define NETLINK_DROP_MEMBERSHIP		2
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    // #define NETLINK_BROADCAST_ERROR		4
    public static final int NETLINK_BROADCAST_ERROR = 4;
    // #define NETLINK_NO_ENOBUFS		5
    public static final int NETLINK_NO_ENOBUFS = 5;
    // #define NETLINK_CAP_ACK			10
    public static final int NETLINK_CAP_ACK = 10;
    // #define NETLINK_EXT_ACK			11
    public static final int NETLINK_EXT_ACK = 11;

    // #define NLA_F_NESTED		(1 << 15)
    public static final int NLA_F_NESTED = 1 << 15;
    // #define NLA_F_NET_BYTEORDER	(1 << 14)
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    // #define NLA_TYPE_MASK		~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    /*
     * struct nlmsghdr {
     * 	__u32		nlmsg_len;
     * 	__u16		nlmsg_type;
     * 	__u16		nlmsg_flags;
     * 	__u32		nlmsg_seq;
     * 	__u32		nlmsg_pid;
     * };
     */
    public static final int NLMSGHDR_SIZE = 16;
    public static final int NLMSG_LEN_OFFSET = 0;
    public static final int NLMSG_TYPE_OFFSET = 4;
    public static final int NLMSG_FLAGS_OFFSET = 6;
    public static final int NLMSG_SEQ_OFFSET = 8;
    public static final int NLMSG_PID_OFFSET = 12;

    /*
     * struct nlattr {
     * 	__u16           nla_len;
     * 	__u16           nla_type;
     * };
     */
    public static final int NLATTR_SIZE = 4;

    /*
     * struct nlmsgerr {
     * 	int		error;
     * 	struct nlmsghdr msg;
     * };
     */
    public static final int NLMSGERR_SIZE = 20;

    /** #define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) ) */
    public static int align(int len) {
        return (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }

    /**
     * struct sockaddr_nl {
     * 	__kernel_sa_family_t	nl_family;	/* AF_NETLINK	*&#47;
     * 	unsigned short	nl_pad;		/* zero		*&#47;
     * 	__u32		nl_pid;		/* port ID	*&#47;
     *        	__u32		nl_groups;	/* multicast groups mask *&#47;
     * };  (12 bytes)
     */
    @FieldOrder({"nl_family", "nl_pad", "nl_pid", "nl_groups"})
    public static class SockaddrNl extends Structure {
        public short nl_family = (short) Socket.AF_NETLINK;
        public short nl_pad;
        public int nl_pid;
        public int nl_groups;

        public SockaddrNl() {
        }

        public SockaddrNl(int pid, int groups) {
            this.nl_pid = pid;
            this.nl_groups = groups;
        }
    }
}
