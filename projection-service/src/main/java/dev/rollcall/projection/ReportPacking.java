package dev.rollcall.projection;

import dev.rollcall.events.WorkstationState;
import dev.rollcall.projection.workstation.StateReport;
import io.netty.buffer.Unpooled;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Workstation reports packed as {@code workstation_report_day.reports} holds them, and as read-model.sql's
 * {@code rollcall_workstation_report} packs one: 25 bytes each, the event id (16 bytes), the time in microseconds since
 * 1970-01-01 UTC (8 bytes, big-endian, signed), the state (1 byte: 1 working, 0 stopped). A bulk load stores and reads
 * back millions of them: packed, each costs a copy of 25 bytes, where arrays cost a conversion per element on both
 * sides of the connection (make bench).
 */
final class ReportPacking {

    static final int BYTES = 25;

    private ReportPacking() {
    }

    /** Room for {@code reports} reports. */
    static ByteBuffer allocate(int reports) {
        return ByteBuffer.allocate(reports * BYTES);
    }

    /** Puts a report at place {@code index} (from 0). */
    static void put(ByteBuffer into, int index, UUID id, Instant at, boolean working) {
        put(into, index, id.getMostSignificantBits(), id.getLeastSignificantBits(), micros(at), working);
    }

    /** Puts a report at place {@code index} (from 0): its id's two halves and its time in microseconds. */
    static void put(ByteBuffer into, int index, long idHigh, long idLow, long micros, boolean working) {
        int p = index * BYTES;
        into.putLong(p, idHigh);
        into.putLong(p + 8, idLow);
        into.putLong(p + 16, micros);
        into.put(p + 24, (byte) (working ? 1 : 0));
    }

    /** The reports packed in {@code reports}, in the order stored. */
    static List<StateReport> unpack(Buffer reports) {
        int n = reports.length() / BYTES;
        List<StateReport> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int p = k * BYTES;
            long micros = reports.getLong(p + 16);
            out.add(new StateReport(new UUID(reports.getLong(p), reports.getLong(p + 8)),
                    Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
                    reports.getByte(p + 24) == 1 ? WorkstationState.WORKING : WorkstationState.STOPPED));
        }
        return out;
    }

    /** The instant of a time stored in microseconds since 1970-01-01 UTC. */
    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** Microseconds since 1970-01-01 UTC (times are stored in microseconds, as PostgreSQL keeps them). */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** User-days and their packed reports, as {@code STORE_DAYS} and {@code LOAD_REPORTS} take them. */
    static final class Days {
        private final List<String> sites = new ArrayList<>();
        private final List<LocalDate> dates = new ArrayList<>();
        private final List<String> users = new ArrayList<>();
        private final List<io.vertx.core.buffer.Buffer> reports = new ArrayList<>();
        private int count;

        void add(String site, LocalDate date, String username, ByteBuffer packed) {
            sites.add(site);
            dates.add(date);
            users.add(username);
            reports.add(io.vertx.core.buffer.Buffer.buffer(Unpooled.wrappedBuffer(packed.array()))); // not copied
            count += packed.capacity() / BYTES;
        }

        /** The one user-day's reports, in this order. */
        void add(String site, LocalDate date, String username, List<StateReport> inOrder) {
            ByteBuffer packed = allocate(inOrder.size());
            for (int k = 0; k < inOrder.size(); k++) {
                StateReport r = inOrder.get(k);
                put(packed, k, r.id(), r.at(), r.working());
            }
            add(site, date, username, packed);
        }

        /** How many reports. */
        int reports() {
            return count;
        }

        boolean isEmpty() {
            return sites.isEmpty();
        }

        Tuple tuple() {
            return Tuple.tuple().addArrayOfString(sites.toArray(String[]::new)).addArrayOfLocalDate(dates.toArray(LocalDate[]::new))
                    // bytea[]: the client takes arrays of core buffers (the Mutiny tuple has no method of its own for them)
                    .addArrayOfString(users.toArray(String[]::new)).addValue(reports.toArray(io.vertx.core.buffer.Buffer[]::new));
        }
    }
}
