/** How a locker touches the world. */
package dev.locker.hal;
