package dev.firebreak.probe.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads Prometheus text exposition format into series ({@code name{labels}}) and values. */
final class PrometheusText {

    private PrometheusText() {}

    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int end = line.indexOf('}') >= 0 ? line.indexOf('}') + 1 : line.indexOf(' ');
            if (end <= 0 || end >= line.length()) continue;
            String series = line.substring(0, end).strip();
            String[] rest = line.substring(end).strip().split("\\s+");
            try {
                samples.put(series, Double.parseDouble(rest[0]));
            } catch (NumberFormatException e) {
                // not a sample line; skip it
            }
        }
        return samples;
    }
}
