package dev.rollcall.projection.roster;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceAssignmentsTest {

    static final String MAC = "3c:22:fb:00:00:01";
    static final Instant T1 = Instant.parse("2026-03-02T08:00:00Z");
    static final Instant T2 = Instant.parse("2026-03-05T12:30:00Z");
    static final Instant T3 = Instant.parse("2026-03-09T07:00:00Z");

    @Test
    void anAssignmentIsInForceUntilTheNextChangeOfTheSameDevice() {
        assertThat(DeviceAssignments.fold(MAC, List.of(
                AssignmentChange.assigned(id(1), T1, "e-ada", "Ada's phone"),
                AssignmentChange.assigned(id(2), T2, "e-bob", null),
                AssignmentChange.released(id(3), T3)))).containsExactly(
                new DeviceAssignment(MAC, "e-ada", "Ada's phone", T1, T2),
                new DeviceAssignment(MAC, "e-bob", null, T2, T3));
    }

    @Test
    void anOpenAssignmentHasNoEnd() {
        assertThat(DeviceAssignments.fold(MAC, List.of(AssignmentChange.assigned(id(1), T1, "e-ada", null))))
                .containsExactly(new DeviceAssignment(MAC, "e-ada", null, T1, null));
    }

    @Test
    void aReleaseOfAFreeDeviceAndAnAssignmentEndedAtItsOwnInstantMakeNothing() {
        assertThat(DeviceAssignments.fold(MAC, List.of(AssignmentChange.released(id(1), T1)))).isEmpty();
        // two changes at the same instant: the one with the greater id (as text) is the later
        assertThat(DeviceAssignments.fold(MAC, List.of(
                AssignmentChange.assigned(UUID.fromString("00000000-0000-0000-0000-00000000000a"), T1, "e-ada", null),
                AssignmentChange.assigned(UUID.fromString("00000000-0000-0000-0000-00000000000b"), T1, "e-bob", null))))
                .containsExactly(new DeviceAssignment(MAC, "e-bob", null, T1, null));
    }

    @Test
    void lateAndRepeatedChangesEndInTheSameAssignments() {
        List<AssignmentChange> ordered = List.of(
                AssignmentChange.assigned(id(1), T1, "e-ada", null),
                AssignmentChange.released(id(2), T2),
                AssignmentChange.assigned(id(3), T3, "e-bob", "5 GHz"));
        List<DeviceAssignment> expected = DeviceAssignments.fold(MAC, ordered);
        Random random = new Random(4);
        for (int trial = 0; trial < 50; trial++) {
            List<AssignmentChange> arrived = new ArrayList<>(ordered);
            arrived.add(ordered.get(random.nextInt(ordered.size())));
            Collections.shuffle(arrived, random);
            assertThat(DeviceAssignments.fold(MAC, arrived)).isEqualTo(expected);
        }
    }

    @Test
    void aLocallyAdministeredAddressIsFlaggedAsRandomised() {
        assertThat(new DeviceAssignment("3c:22:fb:00:00:01", "e", null, T1, null).randomised()).isFalse();
        assertThat(new DeviceAssignment("3e:22:fb:00:00:01", "e", null, T1, null).randomised()).isTrue();
        assertThat(new DeviceAssignment("da:a1:19:00:00:01", "e", null, T1, null).randomised()).isTrue();
    }

    static UUID id(int n) {
        return new UUID(0, n);
    }
}
