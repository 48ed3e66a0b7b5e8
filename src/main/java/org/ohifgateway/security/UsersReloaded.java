package org.ohifgateway.security;

/** The CDI event fired after the realm read the users file again: what was learnt about users before may be out of date. */
public record UsersReloaded() {
}
