/**
 * The {@code blllib} health contributor: open pipelines and their stalled stages.
 */
package io.github.blllib.autoconfigure.health;
