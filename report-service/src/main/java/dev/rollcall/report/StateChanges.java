package dev.rollcall.report;

import java.util.ArrayList;
import java.util.List;

/** Reduces a time-ordered run of reports to the moments the state changed. */
final class StateChanges {

    private StateChanges() {
    }

    static List<WorkstationReport.StateChange> of(List<WorkstationReport.StateChange> reportsInTimeOrder) {
        List<WorkstationReport.StateChange> changes = new ArrayList<>();
        String last = null;
        for (WorkstationReport.StateChange r : reportsInTimeOrder) {
            if (!r.state().equals(last)) {
                changes.add(r);
                last = r.state();
            }
        }
        return changes;
    }
}
