/**
 * Micrometer observations for blllib: one {@code blllib.run} observation per pipeline run.
 */
package io.github.blllib.autoconfigure.observation;
