package dev.rollcall.events;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Inputs for the tests that hold a fast reader of the encoder's layout to {@link EventCodec#decode(byte[])}. */
final class EncodedInputs {

    private EncodedInputs() {
    }

    /** A text as the encoder writes it in a JSON string. */
    static String escaped(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }

    /** {@code json} with one change at a random place: a byte removed, one of {@code inserted} added, a bit flipped, or the rest cut. */
    static byte[] mutated(Random r, byte[] json, String inserted) {
        List<Byte> bytes = new ArrayList<>();
        for (byte x : json) {
            bytes.add(x);
        }
        int at = r.nextInt(bytes.size());
        switch (r.nextInt(4)) {
            case 0 -> bytes.remove(at);
            case 1 -> bytes.add(at, (byte) inserted.charAt(r.nextInt(inserted.length())));
            case 2 -> bytes.set(at, (byte) (bytes.get(at) ^ (1 << r.nextInt(7))));
            default -> bytes.subList(at, bytes.size()).clear();
        }
        byte[] out = new byte[bytes.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = bytes.get(k);
        }
        return out;
    }

    /** A golden sample, as it is in {@code src/test/resources/golden}. */
    static byte[] golden(String name) throws IOException {
        try (InputStream in = EncodedInputs.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    /** Some instant of 2023 to 2026, whole seconds now and then. */
    static Instant instant(Random r) {
        return Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000), r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000_000));
    }

    @SafeVarargs
    static <T> T oneOf(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
