package net.pflowd.decode;

import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Templates per (exporter address, version, observation domain / source id), bounded three times: at most
 * {@code maxTemplates} templates in one domain (more is refused, it can only be an exporter gone wrong
 * or a flood), at most {@code maxDomains} domains, and at most {@code maxBytes} of estimated heap for all
 * templates together; beyond either of the last two the least recently used domains are forgotten first
 * (counted in {@link #evictedTemplates}), so a spoofed-source or template flood costs bounded memory, not
 * the process. An exporter whose templates were forgotten is decoded again after its next template refresh.
 *
 * <p>Changes are staged per datagram ({@link Staging}) and committed only when the whole datagram
 * decoded, so malformed input leaves the cache as it was.
 */
final class TemplateCache {
    static final class Key {
        final InetAddress exporter;
        final int version;
        final long domain;

        Key(InetAddress exporter, int version, long domain) {
            this.exporter = exporter;
            this.version = version;
            this.domain = domain;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return version == k.version && domain == k.domain && Objects.equals(exporter, k.exporter);
        }

        @Override
        public int hashCode() {
            return Objects.hash(exporter, version, domain);
        }
    }

    /** Estimated heap of one domain's entry apart from its templates (key, map, entries). */
    static final long DOMAIN_BYTES = 256;

    private final int maxTemplates;
    private final int maxDomains;
    private final long maxBytes;
    private final LinkedHashMap<Key, Map<Integer, Template>> domains = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Key, Long> domainBytes = new HashMap<>();
    private long bytes;
    private long evictedTemplates;

    TemplateCache(int maxTemplates, int maxDomains, long maxBytes) {
        this.maxTemplates = maxTemplates;
        this.maxDomains = maxDomains;
        this.maxBytes = maxBytes;
    }

    /** Estimated heap of one template: the object, its two arrays, its map entry. */
    static long bytesOf(Template t) {
        return 96 + 8L * t.elementIds.length;
    }

    /** Estimated heap held now. */
    long bytes() {
        return bytes;
    }

    /** Templates forgotten to stay within the bounds (domains or bytes). */
    long evictedTemplates() {
        return evictedTemplates;
    }

    int maxTemplates() {
        return maxTemplates;
    }

    /** The committed templates of one domain, never null. */
    Map<Integer, Template> committed(Key key) {
        Map<Integer, Template> m = domains.get(key);
        return m == null ? Collections.emptyMap() : m;
    }

    int domainCount() {
        return domains.size();
    }

    /** Template changes seen in one datagram, visible to its later sets, committed at its end. */
    static final class Staging {
        private final Map<Integer, Template> base;
        /** Id -> new template, or null for a withdrawal. */
        private final Map<Integer, Template> changes = new HashMap<>();
        private boolean withdrawAllData;
        private boolean withdrawAllOptions;

        Staging(Map<Integer, Template> base) {
            this.base = base;
        }

        Template lookup(int id) {
            if (changes.containsKey(id)) {
                return changes.get(id);
            }
            Template t = base.get(id);
            if (t != null && (t.options ? withdrawAllOptions : withdrawAllData)) {
                return null;
            }
            return t;
        }

        void put(Template t) {
            changes.put(t.id, t);
        }

        void withdraw(int id) {
            changes.put(id, null);
        }

        void withdrawAll(boolean options) {
            if (options) {
                withdrawAllOptions = true;
            } else {
                withdrawAllData = true;
            }
            changes.values().removeIf(t -> t != null && t.options == options);
        }

        boolean isEmpty() {
            return changes.isEmpty() && !withdrawAllData && !withdrawAllOptions;
        }

        /** The domain's template map after this datagram, or null when it would exceed {@code max}. */
        Map<Integer, Template> result(int max) {
            Map<Integer, Template> next = new HashMap<>(base);
            if (withdrawAllData || withdrawAllOptions) {
                next.values().removeIf(t -> t.options ? withdrawAllOptions : withdrawAllData);
            }
            for (Map.Entry<Integer, Template> e : changes.entrySet()) {
                if (e.getValue() == null) {
                    next.remove(e.getKey());
                } else {
                    next.put(e.getKey(), e.getValue());
                }
            }
            return next.size() > max ? null : next;
        }
    }

    void commit(Key key, Map<Integer, Template> next) {
        Long old = domainBytes.remove(key);
        if (old != null) {
            bytes -= old;
        }
        if (next.isEmpty()) {
            domains.remove(key);
            return;
        }
        long b = DOMAIN_BYTES;
        for (Template t : next.values()) {
            b += bytesOf(t);
        }
        domains.put(key, next);
        domainBytes.put(key, b);
        bytes += b;
        // Forget the least recently used other domains until within both bounds.
        var it = domains.entrySet().iterator();
        while ((domains.size() > maxDomains || bytes > maxBytes) && it.hasNext()) {
            Map.Entry<Key, Map<Integer, Template>> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            evictedTemplates += eldest.getValue().size();
            bytes -= domainBytes.remove(eldest.getKey());
            it.remove();
        }
    }
}
