package org.ohifgateway.pacs;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which transfer syntaxes a client may ask Orthanc to convert images to. Converting is slow and,
 * with the GDCM plugin, has crashed Orthanc 1.10.1, so by default only the stored form ("*")
 * and Explicit VR Little Endian (Orthanc's default when none is named) are accepted.
 */
public final class TransferSyntaxPolicy {

    private static final Pattern TRANSFER_SYNTAX =
            Pattern.compile("transfer-syntax\\s*=\\s*\"?([^\";,\\s]+)\"?", Pattern.CASE_INSENSITIVE);

    private final Set<String> allowed;

    public TransferSyntaxPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** @return why the Accept header is refused, or empty when Orthanc may answer it */
    public Optional<String> refusal(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        Matcher syntax = TRANSFER_SYNTAX.matcher(accept);
        while (syntax.find()) {
            if (!allowed.contains(syntax.group(1))) {
                return Optional.of("Transfer syntax " + syntax.group(1) + " is not offered: the archive would have"
                        + " to convert the images. Ask for transfer-syntax=* (as stored) or one of " + allowed + ".");
            }
        }
        return Optional.empty();
    }
}
