package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;

/** A row of {@code workstation_user_day}, its working time made true at the time of the report. */
public record UserDay(LocalDate date, String username, int reports, Instant firstAt, Instant lastAt, String lastState,
                      WorkingTime working, boolean running) {
}
