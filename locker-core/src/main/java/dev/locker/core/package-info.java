/** What a locker knows and decides. */
package dev.locker.core;
