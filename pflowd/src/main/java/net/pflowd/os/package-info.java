/**
 * The thin OS layer beside the bindings: what every caller of a system call needs and would otherwise write
 * again — the one errno exception type, entering a network namespace. Netlink sockets and their message cursor live
 * in {@code net.pflowd.netlink}.
 */
package net.pflowd.os;
