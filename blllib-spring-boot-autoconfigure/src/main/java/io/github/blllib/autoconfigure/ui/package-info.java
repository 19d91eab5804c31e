/**
 * The live view: a page that draws every open pipeline from the {@code blllib} actuator endpoint.
 */
package io.github.blllib.autoconfigure.ui;
