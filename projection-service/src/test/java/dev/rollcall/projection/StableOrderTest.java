package dev.rollcall.projection;

import dev.rollcall.events.WorkstationState;
import dev.rollcall.projection.workstation.StateReport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StableOrder} against the JDK's (stable) sort of objects and {@link StateReport#ORDER}. */
class StableOrderTest {

    @Test
    void sortsByKeyKeepingThePlacesOfEqualKeys() {
        Random random = new Random(23);
        for (int trial = 0; trial < 2_000; trial++) {
            int n = random.nextInt(trial % 10 == 0 ? 3_000 : 200);
            long[] keys = new long[n];
            long t = random.nextLong(1L << 50);
            for (int i = 0; i < n; i++) {
                // mostly ascending with repeats, some late (smaller), some anywhere: as a user's reports come
                t += random.nextInt(4) == 0 ? 0 : random.nextInt(1_000);
                keys[i] = switch (random.nextInt(10)) {
                    case 0 -> t - random.nextInt(50_000);
                    case 1 -> random.nextLong(1L << 50);
                    default -> t;
                };
            }
            Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(expected, Comparator.comparingLong(i -> keys[i]));

            assertThat(StableOrder.byKey(keys)).as("trial %d", trial).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void putsEachInstantsReportsInTheFoldsOrder() {
        Random random = new Random(29);
        for (int trial = 0; trial < 500; trial++) {
            List<StateReport> reports = new ArrayList<>();
            Instant t = Instant.parse("2026-03-02T08:00:00Z");
            for (int n = random.nextInt(40); n > 0; n--) {
                t = t.plusSeconds(random.nextInt(3) == 0 ? 0 : random.nextInt(600));
                reports.add(new StateReport(random.nextInt(4) == 0 ? new UUID(random.nextInt(3) - 1, random.nextInt(3) - 1) : UUID.randomUUID(),
                        t, random.nextBoolean() ? WorkstationState.WORKING : WorkstationState.STOPPED));
            }
            ByteBuffer packed = ReportPacking.allocate(reports.size());
            long[] micros = new long[reports.size()];
            for (int i = 0; i < reports.size(); i++) {
                ReportPacking.put(packed, i, reports.get(i).id(), reports.get(i).at(), reports.get(i).working());
                micros[i] = ReportPacking.micros(reports.get(i).at());
            }
            int[] order = StableOrder.tiesInFoldOrder(StableOrder.byKey(micros), micros, packed);

            List<StateReport> expected = new ArrayList<>(reports);
            expected.sort(StateReport.ORDER);
            assertThat(Arrays.stream(order).mapToObj(reports::get).toList()).as("trial %d", trial).isEqualTo(expected);
        }
    }
}
