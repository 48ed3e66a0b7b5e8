package org.ohifgateway.pacs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QIDO's {@code includefield} takes a comma-separated list of attributes. Browsers' clients (OHIF
 * through dicomweb-client) send the comma percent-encoded, {@code includefield=00081030%2C00080060};
 * Orthanc's DICOMweb plugin (1.7) splits only on a literal comma and then returns none of them, so
 * the study list shows no study description. Within includefield values the encoded comma is
 * made literal; everything else in the query is left as it is.
 */
final class IncludeFields {

    private static final Pattern INCLUDEFIELD = Pattern.compile("(?i)(^|&)(includefield=)([^&]*)");

    private IncludeFields() {
    }

    static String splittable(String query) {
        Matcher matcher = INCLUDEFIELD.matcher(query);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String fields = matcher.group(3).replace("%2C", ",").replace("%2c", ",");
            matcher.appendReplacement(result, Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + fields));
        }
        return matcher.appendTail(result).toString();
    }
}
