package org.ohifgateway.tools.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ohifgateway.http.Roles;

/**
 * Reads a {@code create-auth-realm} line the way Payara Micro 6 reads its boot command files, as
 * measured and as its sources describe it: {@code ${...}} is replaced first; the line is split at
 * spaces, where a word may end in one quoted span (opened after "=") that holds spaces and no
 * other quote; the {@code --property} argument is split at unescaped ":", each property at the
 * first unescaped "=", a backslash escapes the next character and quotes quote (and are removed).
 */
final class BootCommandLine {

    private BootCommandLine() {
    }

    /** The realm's properties as Payara will store them, after checking the rest of the line. */
    static Map<String, String> realmProperties(String line, String className) {
        assertFalse(line.contains("${"), "Payara would replace ${...} with a variable's value: " + line);
        List<String> words = words(line);
        assertEquals(List.of("create-auth-realm", "--classname", className, "--property"), words.subList(0, 4), line);
        assertEquals(List.of(Roles.REALM), words.subList(5, words.size()), line);
        Map<String, String> properties = new LinkedHashMap<>();
        for (String property : split(words.get(4), ':', true)) {
            List<String> nameAndValue = split(property, '=', false);
            assertEquals(2, nameAndValue.size(), "one unescaped = in " + property);
            properties.put(nameAndValue.get(0), nameAndValue.get(1));
        }
        return properties;
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else if ((c == '"' || c == '\'') && i > 0 && line.charAt(i - 1) == '=') {
                int end = indexOfQuote(line, i + 1);
                word.append(line, i, end + 1);
                words.add(word.toString());
                word.setLength(0);
                i = end;
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    private static int indexOfQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '"' || line.charAt(i) == '\'') {
                return i;
            }
        }
        throw new AssertionError("unbalanced quote in " + line);
    }

    /** Splits at unescaped separators outside quotes; keeps or removes escapes and quotes. */
    private static List<String> split(String text, char separator, boolean keep) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                char quote = c;
                if (keep) {
                    part.append(c);
                }
                for (i++; i < text.length() && text.charAt(i) != quote; i++) {
                    if (text.charAt(i) == '\\' && quote == '"') {
                        if (keep) {
                            part.append('\\');
                        }
                        i++;
                    }
                    part.append(text.charAt(i));
                }
                if (i >= text.length()) {
                    throw new AssertionError("unbalanced quote in " + text);
                }
                if (keep) {
                    part.append(quote);
                }
            } else if (c == separator) {
                parts.add(part.toString());
                part.setLength(0);
            } else if (c == '\\') {
                if (keep) {
                    part.append('\\');
                }
                part.append(text.charAt(++i));
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
