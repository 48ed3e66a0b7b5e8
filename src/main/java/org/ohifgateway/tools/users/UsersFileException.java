package org.ohifgateway.tools.users;

/** A refused users-file operation; the message is meant for the administrator. */
public class UsersFileException extends Exception {

    public UsersFileException(String message) {
        super(message);
    }
}
