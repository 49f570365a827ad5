package dev.rollcall.bench;

import java.util.Locale;

/** A goal from issue 8 and whether a figure meets it, in the words the table prints. */
record Goal(String text, Verdict verdict, String detail) {

    enum Verdict { MET, NOT_MET, NOT_APPLICABLE, NONE }

    static Goal none() {
        return new Goal("", Verdict.NONE, "");
    }

    static Goal notApplicable(String text, String why) {
        return new Goal(text, Verdict.NOT_APPLICABLE, why);
    }

    /** {@code value} is at least {@code share} of {@code reference} (rates: more is better). */
    static Goal atLeastShareOf(String text, double value, double reference, double share) {
        double ratio = value / reference;
        return new Goal(text, ratio >= share ? Verdict.MET : Verdict.NOT_MET,
                String.format(Locale.ROOT, "%s of Kafka's", percent(ratio)));
    }

    /** {@code value} is under {@code limit} (latencies: less is better). */
    static Goal under(String text, double value, double limit) {
        return new Goal(text, value < limit ? Verdict.MET : Verdict.NOT_MET, "");
    }

    String verdictText() {
        String v = switch (verdict) {
            case MET -> "**met**";
            case NOT_MET -> "**not met**";
            case NOT_APPLICABLE -> "n/a";
            case NONE -> "";
        };
        return detail.isEmpty() ? v : v + " (" + detail + ")";
    }

    /** A ratio as a percentage with enough digits to tell 0.3% from 0.03%. */
    static String percent(double ratio) {
        double p = ratio * 100;
        if (p >= 10) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        if (p >= 1) {
            return String.format(Locale.ROOT, "%.1f%%", p);
        }
        return String.format(Locale.ROOT, "%.2f%%", p);
    }
}
