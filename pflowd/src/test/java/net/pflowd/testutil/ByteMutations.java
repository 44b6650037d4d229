package net.pflowd.testutil;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Inputs for property tests of a parser: real messages (the seeds) with a few bytes changed, cut short, several
 * joined, and random bytes.
 */
public final class ByteMutations {
    private ByteMutations() {
    }

    public static Arbitrary<byte[]> of(List<byte[]> seeds, int maxRandomBytes) {
        Arbitrary<byte[]> seed = Arbitraries.of(seeds).map(byte[]::clone);
        Arbitrary<byte[]> mutated = seed.flatMap(b -> Arbitraries.integers().between(0, b.length - 1).list()
                .ofMinSize(1).ofMaxSize(6).flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size())
                        .map(values -> {
                            for (int i = 0; i < positions.size(); i++) {
                                b[positions.get(i)] = values.get(i);
                            }
                            return b;
                        })));
        Arbitrary<byte[]> cut = seed.flatMap(b -> Arbitraries.integers().between(0, b.length)
                .map(n -> Arrays.copyOf(b, n)));
        Arbitrary<byte[]> joined = Arbitraries.of(seeds).list().ofMinSize(2).ofMaxSize(4).map(parts -> {
            ByteBuffer b = ByteBuffer.allocate(parts.stream().mapToInt(p -> p.length).sum());
            parts.forEach(b::put);
            return b.array();
        });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(maxRandomBytes);
        return Arbitraries.oneOf(mutated, cut, joined, random);
    }
}
