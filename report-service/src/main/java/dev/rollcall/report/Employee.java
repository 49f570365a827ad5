package dev.rollcall.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Comparator;

/**
 * An employee as the pages show them. {@code label} is what every page, JSON and CSV shows: the pseudonym
 * ({@code Employee K7QX2M}) unless real names are configured. {@code pseudonym} is stable for a site and
 * employee and never reveals either. {@code id} and {@code name} are only there when real names are shown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Employee(String label, String pseudonym, String id, String name) {

    /** By what the page shows (never by a hidden name: the order would give it away), then by pseudonym. */
    public static final Comparator<Employee> BY_LABEL = Comparator.comparing(Employee::label, WorkstationReadModel.BY_NAME)
            .thenComparing(Employee::pseudonym);
}
