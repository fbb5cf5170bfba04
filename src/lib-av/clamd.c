/*
 * clamd - INSTREAM client.
 *
 * Protocol (clamd(8)): send "zINSTREAM\0", then chunks as a 4-byte
 * big-endian length followed by the bytes, then a zero length; clamd
 * answers one NUL-terminated line "stream: OK" or
 * "stream: <signature> FOUND" (or "... ERROR"). Anything else, and any
 * timeout, is CLAMD_UNAVAILABLE: the caller fails closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clamd.h"

#define CLAMD_CHUNK (64 * 1024)
#define CLAMD_REPLY_MAX 1024

static int
clamd_connect(const char *address, char *why, size_t why_size)
{
	struct sockaddr_un sun;
	int fd;

	if (strncmp(address, "tcp:", 4) == 0) {
		struct addrinfo hints = { 0 }, *ai;
		char host[256], *port;

		snprintf(host, sizeof(host), "%s", address + 4);
		port = strrchr(host, ':');
		if (port == NULL) {
			snprintf(why, why_size, "bad clamd address %s", address);
			return -1;
		}
		*port++ = '\0';
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(host, port, &hints, &ai) != 0) {
			snprintf(why, why_size, "cannot resolve %s", address);
			return -1;
		}
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			close(fd);
			fd = -1;
		}
		freeaddrinfo(ai);
	} else {
		if (strlen(address) >= sizeof(sun.sun_path)) {
			snprintf(why, why_size, "clamd socket path too long");
			return -1;
		}
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, address, strlen(address));
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun)) < 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0)
		snprintf(why, why_size, "cannot connect to clamd at %s: %s",
		    address, strerror(errno));
	return fd;
}

static int
clamd_ms_left(const struct timespec *dl)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (dl->tv_sec - now.tv_sec) * 1000LL +
	    (dl->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* Write all of data before the deadline. */
static int
clamd_send(int fd, const void *data, size_t len, const struct timespec *dl)
{
	const unsigned char *p = data;
	struct pollfd pfd = { fd, POLLOUT, 0 };
	ssize_t n;

	while (len > 0) {
		if (poll(&pfd, 1, clamd_ms_left(dl)) <= 0)
			return -1;
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

enum clamd_result
clamd_scan(const char *address, const void *data, size_t len,
    unsigned timeout_ms, char *sig, size_t sig_size)
{
	const unsigned char *p = data;
	char reply[CLAMD_REPLY_MAX + 1];
	struct pollfd pfd;
	struct timespec dl;
	size_t got = 0, off;
	char *s, *end;
	int fd;

	sig[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	fd = clamd_connect(address, sig, sig_size);
	if (fd < 0)
		return CLAMD_UNAVAILABLE;
	if (clamd_send(fd, "zINSTREAM", 10, &dl) < 0)
		goto fail;
	for (off = 0; off < len; off += CLAMD_CHUNK) {
		size_t n = len - off < CLAMD_CHUNK ? len - off : CLAMD_CHUNK;
		uint32_t be = htonl((uint32_t)n);

		if (clamd_send(fd, &be, 4, &dl) < 0 ||
		    clamd_send(fd, p + off, n, &dl) < 0)
			goto fail;
	}
	if (clamd_send(fd, "\0\0\0\0", 4, &dl) < 0)
		goto fail;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < CLAMD_REPLY_MAX) {
		ssize_t n;

		if (poll(&pfd, 1, clamd_ms_left(&dl)) <= 0)
			goto fail;
		n = recv(fd, reply + got, CLAMD_REPLY_MAX - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(reply, '\0', got) != NULL)
			break;
	}
	close(fd);
	reply[got] = '\0';
	end = reply + strcspn(reply, "\r\n");
	*end = '\0';
	s = strncmp(reply, "stream: ", 8) == 0 ? reply + 8 : NULL;
	if (s != NULL && strcmp(s, "OK") == 0)
		return CLAMD_CLEAN;
	if (s != NULL && end - s > 6 && strcmp(end - 6, " FOUND") == 0) {
		end[-6] = '\0';
		snprintf(sig, sig_size, "%s", s);
		return CLAMD_FOUND;
	}
	snprintf(sig, sig_size, "unexpected clamd reply: %.200s", reply);
	return CLAMD_UNAVAILABLE;
fail:
	snprintf(sig, sig_size, "clamd at %s did not answer in time", address);
	close(fd);
	return CLAMD_UNAVAILABLE;
}
