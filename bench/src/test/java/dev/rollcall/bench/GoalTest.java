package dev.rollcall.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoalTest {

    @Test
    void aRateMeetsAShareGoalFromTheShareOn() {
        assertThat(Goal.atLeastShareOf("≥ 50%", 50, 100, 0.5).verdict()).isEqualTo(Goal.Verdict.MET);
        assertThat(Goal.atLeastShareOf("≥ 50%", 49.9, 100, 0.5).verdict()).isEqualTo(Goal.Verdict.NOT_MET);
        assertThat(Goal.atLeastShareOf("≥ 50%", 3_100, 410_000, 0.5).verdictText()).isEqualTo("**not met** (0.76% of Kafka's)");
    }

    @Test
    void aLatencyMeetsAnUnderGoalOnlyBelowTheLimit() {
        assertThat(Goal.under("p99 < 1 s", 999.9, 1000).verdict()).isEqualTo(Goal.Verdict.MET);
        assertThat(Goal.under("p99 < 1 s", 1000, 1000).verdict()).isEqualTo(Goal.Verdict.NOT_MET);
    }

    @Test
    void percentKeepsTwoSignificantDigitsForSmallShares() {
        assertThat(Goal.percent(0.5)).isEqualTo("50%");
        assertThat(Goal.percent(0.034)).isEqualTo("3.4%");
        assertThat(Goal.percent(0.0076)).isEqualTo("0.76%");
    }
}
