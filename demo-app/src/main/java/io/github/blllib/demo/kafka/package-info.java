/**
 * The demo's Kafka job (profile {@code kafka}): orders fed to a topic, priced by a slow async
 * stage and formatted, written to an output topic by {@code blllib.kafka.jobs.orders}; a KRaft
 * broker embedded from Maven jars when no {@code spring.kafka.bootstrap-servers} is given.
 */
package io.github.blllib.demo.kafka;
