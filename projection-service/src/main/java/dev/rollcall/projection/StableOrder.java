package dev.rollcall.projection;

import dev.rollcall.projection.workstation.StateReport;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * Orders of packed workstation reports ({@link ReportPacking}) by position, with no object per report: a load's end
 * sorts a million of them, and sorting objects with a comparator was most of its time (and of its compiler's).
 */
final class StableOrder {

    /** Below this length a run is sorted by insertion. */
    private static final int SMALL = 24;

    private StableOrder() {
    }

    /**
     * The positions of {@code keys} in ascending order of their keys, equal keys in the order of their positions (a
     * stable merge sort; near-linear on keys already almost in order, as a user's reports are).
     */
    static int[] byKey(long[] keys) {
        int n = keys.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] buffer = new int[n];
        for (int from = 0; from < n; from += SMALL) {
            insertion(order, from, Math.min(n, from + SMALL), keys);
        }
        for (int width = SMALL; width < n; width *= 2) {
            for (int from = 0; from + width < n; from += 2 * width) {
                int middle = from + width;
                int to = Math.min(n, from + 2 * width);
                if (keys[order[middle - 1]] > keys[order[middle]]) { // else the two runs are in order already
                    merge(order, buffer, from, middle, to, keys);
                }
            }
        }
        return order;
    }

    private static void insertion(int[] order, int from, int to, long[] keys) {
        for (int i = from + 1; i < to; i++) {
            int x = order[i];
            long key = keys[x];
            int j = i - 1;
            while (j >= from && keys[order[j]] > key) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    private static void merge(int[] order, int[] buffer, int from, int middle, int to, long[] keys) {
        System.arraycopy(order, from, buffer, from, to - from);
        int a = from;
        int b = middle;
        for (int k = from; k < to; k++) {
            if (b >= to || (a < middle && keys[buffer[a]] <= keys[buffer[b]])) {
                order[k] = buffer[a++];
            } else {
                order[k] = buffer[b++];
            }
        }
    }

    /**
     * {@code byTime} (positions in time order) with each run of one instant put in {@link StateReport#ORDER} (working
     * before stopped, then by id as {@link UUID#compareTo} orders ids), the order the fold reads them in. Runs are
     * short and rare: their reports are made objects to be compared exactly as that comparator compares.
     */
    static int[] tiesInFoldOrder(int[] byTime, long[] micros, ByteBuffer packed) {
        Comparator<Integer> order = Comparator.<Integer, Boolean>comparing(i -> packed.get(i * ReportPacking.BYTES + 24) != 1)
                .thenComparing(i -> new UUID(packed.getLong(i * ReportPacking.BYTES), packed.getLong(i * ReportPacking.BYTES + 8)));
        int from = 0;
        while (from < byTime.length) {
            int to = from + 1;
            while (to < byTime.length && micros[byTime[to]] == micros[byTime[from]]) {
                to++;
            }
            if (to - from > 1) {
                Integer[] run = Arrays.stream(byTime, from, to).boxed().toArray(Integer[]::new);
                Arrays.sort(run, order);
                for (int k = 0; k < run.length; k++) {
                    byTime[from + k] = run[k];
                }
            }
            from = to;
        }
        return byTime;
    }
}
