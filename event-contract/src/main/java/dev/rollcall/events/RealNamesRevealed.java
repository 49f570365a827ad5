package dev.rollcall.events;

/**
 * Someone signed in to the HR pages asked to see employees' real names instead of their pseudonyms. Appended to
 * the audit topic (acks=all) before the names are shown; the envelope's time is when, its site is the site the page
 * covers. Says who looked and at what, never which names were on the page.
 *
 * @param viewer the account that revealed the names
 * @param page   the page or export, e.g. {@code /presence/day}
 * @param period what the page covered, e.g. {@code 2026-11-20}, {@code 2026-11} or {@code now}
 */
public record RealNamesRevealed(String viewer, String page, String period) implements RollcallEvent {

    public static final String TYPE = "rollcall.audit.real-names-revealed.v1";

    public RealNamesRevealed {
        viewer = ContractChecks.requireText("viewer", viewer, 200);
        page = ContractChecks.requireText("page", page, 200);
        period = ContractChecks.requireText("period", period, 100);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Topic topic() {
        return Topic.AUDIT;
    }
}
