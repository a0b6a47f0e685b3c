package dev.firebreak.contract;

/** Platform text reduced to what a person reads: emphasis markers ({@code *bold*}, {@code **bold**}) removed. */
final class Texts {

    private Texts() {}

    static String neutral(String text) {
        return text.replace("*", "");
    }
}
