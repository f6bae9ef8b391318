#!/usr/bin/perl
# Build the geoip test databases from readable JSON sources (tests/geoip/data/*.json), so no
# binary blob of unknown origin is ever checked in. Run by ctest as a fixture
# (tests/geoip/CMakeLists.txt) before the tests that read the databases.
#
# Usage: make_test_mmdb.pl OUTDIR SOURCE.json...   writes OUTDIR/<source basename>.mmdb
#
# A source is: {"database_type": "...", "ip_version": 4|6, "types": {key: mmdb type, ...},
#               "networks": [{"network": "CIDR", "data": {...}}, ...]}
# "types" gives the MaxMind DB type of every key that occurs (map, utf8_string, double, float,
# uint16, uint32, boolean), since the same key can differ between layouts ("city" is a map in
# GeoIP2, a string in ip-location-db).
use strict;
use warnings;
use JSON::PP;
use File::Basename qw(basename);
use MaxMind::DB::Writer::Tree;

die "usage: $0 OUTDIR SOURCE.json...\n" unless @ARGV >= 2;
my ( $outdir, @sources ) = @ARGV;
mkdir $outdir unless -d $outdir;

for my $src (@sources) {
    open my $fh, '<:raw', $src or die "$src: $!\n";
    my $spec = JSON::PP->new->utf8->decode( do { local $/; <$fh> } );
    close $fh;
    my %types = %{ $spec->{types} };
    my $tree  = MaxMind::DB::Writer::Tree->new(
        ip_version            => $spec->{ip_version},
        record_size           => 24,
        database_type         => $spec->{database_type},
        languages             => ['en'],
        description           => { en => "Parallax test database from $src" },
        map_key_type_callback => sub {
            my $t = $types{ $_[0] };
            die "$src: no type for key '$_[0]'\n" unless defined $t;
            return $t;
        },
        # Test sources use documentation and other reserved ranges on purpose.
        remove_reserved_networks => 0,
    );
    for my $n ( @{ $spec->{networks} } ) {
        my $data = $n->{data};
        # JSON true/false arrive as JSON::PP::Boolean objects; the writer wants 1/0.
        _fix_booleans($data);
        $tree->insert_network( $n->{network}, $data );
    }
    my $name = basename( $src, '.json' );
    open my $out, '>:raw', "$outdir/$name.mmdb" or die "$outdir/$name.mmdb: $!\n";
    $tree->write_tree($out);
    close $out or die "$outdir/$name.mmdb: $!\n";
}

sub _fix_booleans {
    my ($v) = @_;
    return unless ref $v eq 'HASH';
    for my $k ( keys %$v ) {
        if ( JSON::PP::is_bool( $v->{$k} ) ) { $v->{$k} = $v->{$k} ? 1 : 0 }
        elsif ( ref $v->{$k} eq 'HASH' ) { _fix_booleans( $v->{$k} ) }
    }
}
