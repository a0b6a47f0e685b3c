package dev.firebreak.probe.sql;

import java.util.regex.Pattern;

/** Masks credentials inside JDBC URLs and driver messages. */
final class JdbcUrls {

    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)([?&;](?:password|passwd|pwd|sslpassword)=)[^&;\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("(?i)(//)[^/@\\s:]+:[^/@\\s]*@");

    private JdbcUrls() {}

    static String redact(String text) {
        if (text == null) return "";
        String out = PASSWORD_PARAM.matcher(text).replaceAll("$1****");
        return USER_INFO.matcher(out).replaceAll("$1****@");
    }

    static boolean hasCredentials(String url) {
        return url != null && !redact(url).equals(url);
    }
}
