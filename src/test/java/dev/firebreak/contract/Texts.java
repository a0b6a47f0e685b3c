package dev.firebreak.contract;

/** Platform text reduced to what a person reads: emphasis markers ({@code *bold*}, {@code **bold**}) removed, entities shown. */
final class Texts {

    private Texts() {}

    static String neutral(String text) {
        return text.replace("*", "");
    }

    /** Slack text as a person reads it: Slack shows its three escaped characters as themselves. */
    static String fromSlack(String text) {
        return neutral(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
    }
}
