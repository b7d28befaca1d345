/**
 * The cloud link's adapter side (contracts/mqtt.md): command envelopes checked and answered, event
 * envelopes published. JSON and the MQTT client live here, never in the domain or application.
 */
package dev.locker.core.cloud;
