package org.ohifgateway.config;

import java.time.Duration;

/**
 * When failed logins are slowed and refused (gateway.login.*).
 *
 * @param slowAfter             failures answered at once before each further one is slowed
 * @param maxFailuresPerUser    failures of one user name within the window before it is refused
 * @param maxFailuresPerAddress failures from one client address within the window before it is refused
 * @param window                how long failures are counted
 * @param coolDown              how long a refusal lasts
 * @param slowStep              the added delay per failure beyond slowAfter
 * @param slowMax               the longest delay
 */
public record LoginLimits(int slowAfter, int maxFailuresPerUser, int maxFailuresPerAddress,
                          Duration window, Duration coolDown, Duration slowStep, Duration slowMax) {
}
