#!/bin/sh
# Lab guest boot step (runs before sshd): applies this VM's identity from its seed disk
# (LABEL=labseed): host name, SSH host keys, the lab's authorized key, and its addresses.
set -eu
# The seed disk and both NICs, once udev has handled them (a loaded TCG guest may take minutes).
udevadm wait --timeout=600 /dev/disk/by-label/labseed /sys/class/net/eth0 /sys/class/net/eth1
mkdir -p /run/labseed
mount -o ro LABEL=labseed /run/labseed
s=/run/labseed
name=$(cat $s/hostname)
echo "$name" > /etc/hostname
hostname "$name"
sed -i "/ lab-self\$/d" /etc/hosts
cp $s/ssh_host_ed25519_key /etc/ssh/ && chmod 600 /etc/ssh/ssh_host_ed25519_key
cp $s/ssh_host_ed25519_key.pub /etc/ssh/
mkdir -p /root/.ssh && chmod 700 /root/.ssh
cp $s/authorized_keys /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
# Management: QEMU's user network (SSH is forwarded from the host's loopback).
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0 2>/dev/null || :
# Storage network: the lab's private segment between the guests.
ip link set eth1 up
ip addr add "$(cat $s/cluster_address)/24" dev eth1 2>/dev/null || :
cat $s/hosts >> /etc/hosts
umount /run/labseed
